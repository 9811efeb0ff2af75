"""The merchant's web pages: the step-by-step application, its status page and the eligibility panel.

Views shape input into the services' sections and render what the services answer; every rule lives in
the services (``application_update_draft`` and friends), and ``errors.form_errors`` puts their field
errors (``parties[1].date_of_birth``) back onto the step's forms.
"""
