import DialtoneCore
import DialtoneServer

extension Settings.Auth {
    /// What the transports check devices and HTTP clients with, reading time from `clock`.
    func authenticator(clock: any Clock) -> Authenticator {
        switch self {
        case .none: .none
        case .jwt(let secret, let publicKey):
            .jwt(TokenVerifier(secret: secret?.bytes, publicKey: publicKey, clock: clock))
        }
    }
}
