import Logging
import Nexlet
import NexletTestSupport
import NexNode


extension NodeOptions {
    /// Embeds in-memory nexlets (one runner each) and returns them for inspection.
    @discardableResult
    mutating func embed(_ nexlets: InMemoryNexlet...) -> [InMemoryNexlet] {
        var logger = Logger(label: "nexlet-test")
        logger.logLevel = .warning
        embeddedAgents += nexlets.map { NexletRunner(runtime: $0, options: NexletRunnerOptions(nexus: nexus, logger: logger)) }
        return nexlets
    }
}
