/// The teardown steps of one test, run by ``withTeardown(isolation:_:)`` when the test's body ends, whether it
/// returned or threw: an `async` `defer` (Swift's `defer` cannot await), so a failing test does not leave
/// nodes, runners or connections behind.
public final class Teardown {
    private var steps: [() async -> Void] = []

    init() {}

    /// Adds a step; steps run in reverse order of adding, as `defer` blocks do.
    public func add(_ step: @escaping () async -> Void) {
        steps.append(step)
    }

    fileprivate func run() async {
        while let step = steps.popLast() { await step() }
    }
}

/// Runs `body`, then every step it added to the ``Teardown`` (last added first), also when `body` throws.
public func withTeardown<T>(isolation: isolated (any Actor)? = #isolation, _ body: (Teardown) async throws -> T) async rethrows -> T {
    let teardown = Teardown()
    do {
        let result = try await body(teardown)
        await teardown.run()
        return result
    } catch {
        await teardown.run()
        throw error
    }
}
