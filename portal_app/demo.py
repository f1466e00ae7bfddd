"""The demo network (`flask demo`): filled in by the demo work."""
import click

@click.command("demo")
def demo_command() -> None:
    """Load the demo network (idempotent)."""
