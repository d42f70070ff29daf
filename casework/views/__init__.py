"""Views of the legal-matters domain, split by noun."""
