"""The web app people use: pages rendered on the server (Jinja2, htmx), calling the same services as the API."""
