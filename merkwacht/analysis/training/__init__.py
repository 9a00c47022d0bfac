"""Training scripts for the small models the analyser ships (run by hand, never at run time)."""
