"""The Streamlit dashboard (entry script ``app.py``); data comes only through ``core.queries``."""
