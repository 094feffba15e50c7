"""General-licence eligibility: the policy pack's conditions judged against an exporter's profile."""
