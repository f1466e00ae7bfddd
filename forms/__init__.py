"""Flask-WTF forms: shape validation; business rules stay in the services."""
