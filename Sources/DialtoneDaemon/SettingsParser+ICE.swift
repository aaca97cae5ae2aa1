import DialtoneJSON

extension SettingsParser {
    /// `ice-servers`: a JSON array of RTCIceServer objects, each with `urls` (a string or a
    /// non-empty array of strings) and optional string `username` and `credential`.
    mutating func iceServers() -> JSON {
        record(.iceServers, .builtIn)
        guard let (text, source) = text(.iceServers) else { return [] }
        let servers: JSON
        do {
            servers = try JSON(parsing: text)
        } catch {
            report(.invalid(.iceServers, value: quoted(text), source: source, reason: "is not valid JSON: \(error)"))
            return []
        }
        guard let list = servers.arrayValue else {
            report(.notA(.iceServers, value: quoted(text), source: source))
            return []
        }
        for (index, server) in list.enumerated() {
            if let reason = Self.problem(with: server) {
                report(
                    .invalid(
                        .iceServers, value: quoted(text), source: source, reason: "has \(reason) at index \(index)"))
                return []
            }
        }
        return servers
    }

    private static func problem(with server: JSON) -> String? {
        guard let object = server.objectValue else { return "a server that is not an object" }
        switch object["urls"] {
        case .string(let url)?:
            if url.isEmpty { return "an empty \"urls\"" }
        case .array(let urls)? where !urls.isEmpty && urls.allSatisfy({ !($0.stringValue ?? "").isEmpty }):
            break
        default:
            return "a server without \"urls\" (a string or an array of strings)"
        }
        for field in ["username", "credential"] {
            if let value = object[field], value.stringValue == nil { return "a \"\(field)\" that is not a string" }
        }
        return nil
    }
}
