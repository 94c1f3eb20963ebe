"""The scenario format: safe YAML loading, the validation model, cross-reference checks."""
