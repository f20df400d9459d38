/// Placeholder, replaced by the validator.
public enum JSONSchemaModule {}
