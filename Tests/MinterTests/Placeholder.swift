import Testing

@Test func MinterTestsBuilds() {}
