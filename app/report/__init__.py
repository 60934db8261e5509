"""The promotion-readiness report: content (privacy, period, audience) and its PDF."""
