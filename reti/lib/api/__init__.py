"""What every app's REST API shares: errors, pagination, parameters, schemas, writes."""
