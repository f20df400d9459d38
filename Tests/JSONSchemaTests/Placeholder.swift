import Testing

@Test func JSONSchemaTestsBuilds() {}
