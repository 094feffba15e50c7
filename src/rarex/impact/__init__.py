"""Policy-change impact: what a draft amendment of the pack would do to pending cases, licences and shipments."""
