import Testing

@Test func NexCLITestsBuilds() {}
