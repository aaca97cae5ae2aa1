#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Settings {
    /// A TCP address to listen on: an IPv4 or IPv6 literal or a host name, and a port (0 picks a
    /// free one).
    public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
        /// The host without brackets: `127.0.0.1`, `::1`, `localhost`.
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `host:port`, with an IPv6 host in brackets: `[::1]:8080`.
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

        /// Parses `host:port` or `[ipv6]:port`.
        ///
        /// - Returns: The address, or why the text is not one (completing "… from <source> …").
        static func parse(_ text: String) -> Result<ListenAddress, ParseFailure> {
            let host: Substring
            let portText: Substring
            if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else {
                    return .failure("has no closing ] after the IPv6 address")
                }
                host = text[text.index(after: text.startIndex)..<close]
                let rest = text[text.index(after: close)...]
                guard rest.hasPrefix(":") else { return .failure("has no :port after the IPv6 address") }
                portText = rest.dropFirst()
                guard isIPv6(String(host)) else { return .failure("does not hold an IPv6 address in brackets") }
            } else {
                guard let colon = text.lastIndex(of: ":") else { return .failure("has no :port") }
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
                if host.contains(":") { return .failure("is an IPv6 address without brackets; write it as [::1]:8080") }
                if host.isEmpty { return .failure("has no host; use 0.0.0.0 or [::] for every interface") }
                if host.allSatisfy({ $0.isNumber || $0 == "." }) {
                    guard isIPv4(String(host)) else { return .failure("does not hold a valid IPv4 address") }
                } else if !isHostName(host) {
                    return .failure("does not hold a valid host name")
                }
            }
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigit),
                let port = Int(portText), port <= 65535
            else {
                return .failure("does not end in a port from 0 to 65535")
            }
            return .success(ListenAddress(host: String(host), port: port))
        }

        /// Why a text is not an address; reads as the end of "<value> from <source> …".
        struct ParseFailure: Error, Equatable, ExpressibleByStringLiteral {
            let reason: String
            init(stringLiteral reason: String) { self.reason = reason }
        }

        private static func isIPv4(_ text: String) -> Bool {
            var address = in_addr()
            return inet_pton(AF_INET, text, &address) == 1
        }

        private static func isIPv6(_ text: String) -> Bool {
            var address = in6_addr()
            return inet_pton(AF_INET6, text, &address) == 1
        }

        /// RFC 1123 labels: letters, digits and inner hyphens, up to 63 each, 253 in all.
        private static func isHostName(_ text: Substring) -> Bool {
            guard text.utf8.count <= 253 else { return false }
            return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
