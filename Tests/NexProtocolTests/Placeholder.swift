import Testing

@Test func NexProtocolTestsBuilds() {}
