import DialtoneCore

/// How devices and HTTP clients prove who they are: the contract's `auth` setting, given to every
/// transport.
public enum Authenticator: Sendable {
    /// Development: a device's claimed user id is believed; HTTP requests need no credentials.
    case none
    /// Every device and every user-specific HTTP request presents a JWT (HS256, RS256 or ES256).
    case jwt(TokenVerifier)

    /// The identity a device connects with. Under `none` the user id it claims (or none yet);
    /// under `jwt` the user its token proves, or why there is no such user.
    public func identity(token: String?, claimedUserId: String?) -> Result<Identity, TokenError> {
        switch self {
        case .none:
            return .success(claimedUserId.map { .claimed($0) } ?? .anonymous)
        case .jwt(let verifier):
            return user(token: token, verifier: verifier).map { .verified($0) }
        }
    }

    /// Who makes an HTTP request: `nil` under `none` (anyone may act for any user), the token's
    /// user under `jwt`.
    public func requester(token: String?) -> Result<UserID?, TokenError> {
        switch self {
        case .none:
            return .success(nil)
        case .jwt(let verifier):
            return user(token: token, verifier: verifier).map { $0 }
        }
    }

    private func user(token: String?, verifier: TokenVerifier) -> Result<UserID, TokenError> {
        guard let token else { return .failure(.missing) }
        return Result { () throws(TokenError) in try verifier.verify(token) }
    }
}
