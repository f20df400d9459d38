/// Placeholder, replaced by the harness.
public enum NATSTestSupportModule {}
