/// The LAMEDUCK / SETLAMEDUCK request (`LameduckRequest`).
///
/// `delay` is a Go duration string. It stays a `String` on the type because Go decodes it as one and
/// reports a bad delay separately (`400 failed to parse lameduck delay`); use ``parsedDelay()``.
public struct LameduckRequest: GoJSONObject {
    public var delay = ""
    /// Only nodes carrying all these tags act; omitted when nil or empty.
    public var tag: NodeTags?

    public init() {}

    public init(delay: GoDuration, tag: NodeTags? = nil) {
        self.delay = delay.description
        self.tag = tag
    }

    public init(delayText: String, tag: NodeTags? = nil) {
        delay = delayText
        self.tag = tag
    }

    /// The delay parsed as Go does.
    public func parsedDelay() throws(GoDurationError) -> GoDuration {
        try GoDuration(parsing: delay)
    }

    public static let goFields: [GoField<Self>] = [
        .required("delay", \.delay),
        .omitEmpty("tag", \.tag),
    ]
}

/// The reply to LAMEDUCK / SETLAMEDUCK (`LameduckResponse`).
public struct LameduckResponse: GoJSONObject {
    public var message = ""
    public var success = false

    public init() {}

    public init(success: Bool, message: String = "") {
        self.success = success
        self.message = message
    }

    public static let goFields: [GoField<Self>] = [
        .required("message", \.message),
        .required("success", \.success),
    ]
}
