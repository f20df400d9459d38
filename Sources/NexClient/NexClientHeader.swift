/// Header names and values of our protocol extensions that NexProtocol does not define (yet).
public enum NexClientHeader {
    /// On every auction answer (bid or decline) from our nodes: the number of live nodes the answering node
    /// knows of, itself included. Go nodes do not send it.
    public static let nexusSize = "Nex-Nexus-Size"
    /// The value of `Nex-Auction-Decline` on an auction request that invites explicit declines.
    public static let inviteDeclines = "ok"
}
