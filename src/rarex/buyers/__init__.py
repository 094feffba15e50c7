"""The buyer's view: what remains for a foreign end user on the licences naming it, and for how long."""
