import Testing

@Test func NexletTestsBuilds() {}
