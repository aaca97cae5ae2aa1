import DialtoneJSON
import Glibc

/// A blocking JSON-RPC client for the control socket: one request at a time, then its answer.
final class ControlClient {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var nextId = 1

    init(socketPath path: String) throws(CtlError) {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .connection(path, reason: Self.lastError()) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard path.utf8.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw .connection(path, reason: "path too long for a Unix socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let failure = errno
            let reason = Self.lastError()
            close(descriptor)
            switch failure {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw .daemonNotRunning(path, reason: reason)
            case EACCES, EPERM: throw .permissionDenied(path)
            default: throw .connection(path, reason: reason)
            }
        }
    }

    deinit { close(descriptor) }

    /// Calls `method` and returns its result; a JSON-RPC error answer is thrown as ``CtlError``.
    func call(_ method: String, params: JSON? = nil) throws(CtlError) -> JSON {
        let reply = try exchange(method, params: params)
        if let error = reply["error"] {
            throw .daemon(
                code: error["code"]?.intValue ?? 0, message: error["message"]?.stringValue ?? "error",
                data: error["data"])
        }
        guard let result = reply["result"] else { throw .badReply("neither result nor error") }
        return result
    }

    /// Sends a request and returns the whole response object, error or not.
    func exchange(_ method: String, params: JSON?) throws(CtlError) -> JSON {
        let id = nextId
        nextId += 1
        var request: JSONObject = ["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": .string(method)]
        if let params { request["params"] = params }
        var bytes: [UInt8] = []
        JSON.object(request).write(into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        try send(bytes)
        while true {
            guard let message = try readMessage() else { throw .closed }
            // Event notifications may arrive between requests. An answer carries our id, or a
            // null id when the daemon could not read the request at all.
            guard message["method"] == nil else { continue }
            if message["id"]?.intValue == id || message["id"]?.isNull == true { return message }
        }
    }

    /// The next message from the daemon, or `nil` once it closes the connection.
    func readMessage() throws(CtlError) -> JSON? {
        guard let line = try readLine() else { return nil }
        do {
            return try JSON(parsing: line)
        } catch {
            throw .badReply("\(error)")
        }
    }

    private func send(_ bytes: [UInt8]) throws(CtlError) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a daemon that went away is an error to report, not a SIGPIPE.
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .connection("control socket", reason: Self.lastError())
            }
            offset += written
        }
    }

    private func readLine() throws(CtlError) -> [UInt8]? {
        var searched = 0
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            searched = buffer.count
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .connection("control socket", reason: Self.lastError())
            }
            if count == 0 { return buffer.isEmpty ? nil : buffer.removeAllAndReturn() }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

extension Array {
    fileprivate mutating func removeAllAndReturn() -> [Element] {
        defer { removeAll() }
        return self
    }
}
