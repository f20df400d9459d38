import Testing

@Test func NATSKitTestsBuilds() {}
