"""The partner API (``/api/v1/``): thin views over the onboarding services, for partners' API keys."""
