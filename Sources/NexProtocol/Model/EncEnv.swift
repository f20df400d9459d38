/// An environment sealed to a nexlet's xkey (`EncEnv`): the shape only; sealing and opening live in Minter.
public struct EncEnv: GoJSONObject {
    /// Standard base64 (with padding) of an `xkv1` sealed JSON object of strings.
    public var base64EncryptedEnv = ""
    /// The sender's public xkey (`X…`).
    public var encryptedBy = ""

    public init() {}

    public init(base64EncryptedEnv: String, encryptedBy: String) {
        self.base64EncryptedEnv = base64EncryptedEnv
        self.encryptedBy = encryptedBy
    }

    public static let goFields: [GoField<Self>] = [
        .required("base64_encrypted_env", \.base64EncryptedEnv),
        .required("encrypted_by", \.encryptedBy),
    ]
}
