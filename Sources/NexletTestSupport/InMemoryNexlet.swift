/// Placeholder, replaced by the in-memory test nexlet.
public enum NexletTestSupportModule {}
