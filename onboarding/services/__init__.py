"""Business actions. Web views, the admin, the partner API, tasks and commands all call these."""
