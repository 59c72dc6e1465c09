from formkit.cli import cli

cli()
