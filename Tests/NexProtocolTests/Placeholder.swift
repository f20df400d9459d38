import Testing

@Test func nexProtocolPlaceholder() {}
