import Testing

@Test func NexNodeTestsBuilds() {}
