import DialtoneProtocol
import NIOCore

/// The WebSocket transport and the upgrade probe.
extension EngineIOSession {
    func probeRequested(_ transport: EngineIOWebSocketTransport) {
        guard machine.probeRequested(now: Self.now()) else {
            transport.connection.close(code: .policyViolation, reason: "upgrade not possible")
            return
        }
        probe = transport
        rescheduleTimer()
    }

    func webSocketReceived(text: String, from transport: EngineIOWebSocketTransport) {
        applyDueDeadlines()
        guard let source = source(of: transport) else { return }
        let packet: EngineIOPacket
        do {
            packet = try EngineIOPacket(text: text)
        } catch {
            if source == .probe {
                abortProbe()
            } else {
                closeNow(machine.parseFailed())
            }
            return
        }
        perform(machine.received(packet, from: source, now: Self.now()), for: packet, from: transport)
        rescheduleTimer()
    }

    func webSocketReceived(binary: ByteBuffer, from transport: EngineIOWebSocketTransport) {
        applyDueDeadlines()
        guard let source = source(of: transport) else { return }
        let packet = EngineIOPacket.binary([])
        switch machine.received(packet, from: source, now: Self.now()) {
        case .deliver: handler?.received(binary: binary)
        case let action: perform(action, for: packet, from: transport)
        }
    }

    func webSocketClosed(_ transport: EngineIOWebSocketTransport) {
        if transport === probe {
            probe = nil
            machine.probeClosed()
        } else if transport === webSocket {
            closeNow(machine.transportFailed(.transportClosed))
        }
    }

    func source(of transport: EngineIOWebSocketTransport) -> EngineIOSessionStateMachine.Source? {
        if transport === webSocket { return .activeTransport }
        if transport === probe { return .probe }
        return nil
    }

    func abortProbe() {
        machine.probeClosed()
        probe?.connection.close(code: .policyViolation, reason: "upgrade failed")
        probe = nil
    }
}
