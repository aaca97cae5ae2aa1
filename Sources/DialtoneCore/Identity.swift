/// How the transport identified a device when it connected.
public enum Identity: Sendable, Equatable {
    /// Nothing known yet: the device must `register`.
    case anonymous
    /// A user id the device gave without proof (auth mode `none`): registered at once; `register`
    /// may repeat it but cannot switch to another user.
    case claimed(UserID)
    /// A user id proven by a token: registered at once; `register` for anyone else is `unauthorized`.
    case verified(UserID)

    var userId: UserID? {
        switch self {
        case .anonymous: nil
        case .claimed(let userId), .verified(let userId): userId
        }
    }
}
