"""The demo's library app: models, migrations, forms and generic views."""
