import Logging
import Nexlet
import NexletTestSupport
import NexNode


extension NodeOptions {
    /// Embeds in-memory nexlets (one runner each) and returns them for inspection.
    @discardableResult
    mutating func embed(_ nexlets: InMemoryNexlet...) -> [InMemoryNexlet] {
        embed(nexlets)
    }

    /// Embeds in-memory nexlets whose runners wait `requestDrainTimeout` for requests in flight when stopped.
    @discardableResult
    mutating func embed(_ nexlets: [InMemoryNexlet], requestDrainTimeout: Duration = .seconds(10)) -> [InMemoryNexlet] {
        var logger = Logger(label: "nexlet-test")
        logger.logLevel = .warning
        var options = NexletRunnerOptions(nexus: nexus, logger: logger)
        options.requestDrainTimeout = requestDrainTimeout
        embeddedAgents += nexlets.map { NexletRunner(runtime: $0, options: options) }
        return nexlets
    }
}
