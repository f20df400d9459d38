/// Placeholder, replaced by the wrapper.
public enum NATSKitModule {}
