"""The yardstick of P4: a trivial Flask app served by the same gunicorn set-up as Caseport."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Hello, World!"""
    return "Hello, World!"
