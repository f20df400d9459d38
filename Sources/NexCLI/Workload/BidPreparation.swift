import Foundation
import JSONSchema
import Minter
import NexClient
import NexProtocol

/// Fitting the start request to the bid `NexClient.deploy` chose (the one bid choice), before anything is
/// deployed: the environment is sealed to the nexlet's xkey when asked (or when its schema expects
/// `encrypted_environment`), and the final request must satisfy the nexlet's start-request schema.
enum BidPreparation {
    /// The CLI's error for an auction without a usable bid: nobody bid, or no bid supports the lifecycle
    /// (a bid without a lifecycle list supports all).
    static func unplaced(_ unplaced: NexClient.Unplaced, type: String, namespace: String, tags: NodeTags?) -> CLIError {
        let bids = unplaced.auction.bids
        guard !bids.isEmpty else { return WorkloadErrors.noBids(unplaced.auction, type: type, namespace: namespace, tags: tags) }
        let supported = Set(bids.flatMap { $0.supportedLifecycles ?? [] }).map(\.rawValue).sorted()
        return CLIError("no bidding \(type) nexlet supports the \(unplaced.lifecycle.rawValue) lifecycle (they support: \(supported.joined(separator: ", ")))",
                        hint: "choose one of those with --lifecycle")
    }

    /// The start request as it will be sent (`run_request`), after encryption and validation.
    static func prepare(_ definition: WorkloadDefinition, bid: AuctionResponse, encrypt: Bool?) throws(CLIError) -> JSONValue {
        let schema = try compileSchema(bid.startRequestSchema, type: definition.type)
        var request = definition.startRequest
        let shouldEncrypt = encrypt ?? schemaExpectsEncryptedEnvironment(bid.startRequestSchema)
        if shouldEncrypt {
            request = try encryptEnvironment(request, bid: bid, explicit: encrypt == true)
        }
        if let schema {
            let errors = schema.validate(request)
            if !errors.isEmpty {
                let summary = CLIError.singleLine(SchemaValidationFailure(errors: errors).summary(limit: 5))
                throw CLIError("the start request does not match the \(definition.type) nexlet's schema: \(summary)",
                               hint: "fix the start request (--start-request or the Nexfile's start_request)", exitCode: ExitStatus.usage)
            }
        }
        return request
    }

    private static func compileSchema(_ text: String, type: String) throws(CLIError) -> JSONSchema? {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        do {
            return try JSONSchema(string: text)
        } catch {
            throw CLIError("the \(type) nexlet sent a start-request schema that cannot be used: \(CLIError.singleLine("\(error)"))",
                           hint: "report this to the nexlet's author")
        }
    }

    /// True when the schema declares a top-level `encrypted_environment` property.
    static func schemaExpectsEncryptedEnvironment(_ schemaText: String) -> Bool {
        guard case .object(let root)? = try? JSONValue(parsing: schemaText), case .object(let properties)? = root["properties"] else {
            return false
        }
        return properties["encrypted_environment"] != nil
    }

    /// Moves `environment` into `encrypted_environment` (an EncEnv sealed to the bid's xkey).
    static func encryptEnvironment(_ request: JSONValue, bid: AuctionResponse, explicit: Bool) throws(CLIError) -> JSONValue {
        guard case .object(var members) = request, let environment = members["environment"], environment != .null else {
            return request
        }
        guard case .object(let variables) = environment else {
            throw CLIError("the start request's environment must be an object of strings to be encrypted", exitCode: ExitStatus.usage)
        }
        var plain: [String: String] = [:]
        for (name, value) in variables {
            guard case .string(let text) = value else {
                throw CLIError("environment variable \(name) must be a string, got \(value.typeName)", exitCode: ExitStatus.usage)
            }
            plain[name] = text
        }
        guard !bid.xkey.isEmpty else {
            if explicit {
                throw CLIError("--encrypt-env: the winning nexlet did not send an xkey to encrypt to", hint: "deploy without --encrypt-env")
            }
            return request
        }
        let sealed: Minter.EncEnv
        do {
            sealed = try Minter.EncEnv.seal(plain, to: bid.xkey)
        } catch {
            throw CLIError("cannot encrypt the environment to the nexlet's xkey \(bid.xkey): \(error)")
        }
        members["environment"] = nil
        members["encrypted_environment"] = .object([
            "encrypted_by": .string(sealed.encryptedBy), "base64_encrypted_env": .string(sealed.base64EncryptedEnv),
        ])
        return .object(members)
    }
}
