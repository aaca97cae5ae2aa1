import FuzzSupport

// A fuzzed program of transport inputs to SignalingCore: devices connecting (anonymous, claimed or
// token-verified) and dropping, device events decoded by DeviceRequest from structured or raw
// JSON, HTTP `POST /call-end` and admin ends, and clock ticks. After every step the core's
// promises are checked: a refused request changes nothing, counts agree, history stays bounded.

runFuzzer { bytes in
    var program = Program(input: FuzzInput(bytes))
    var steps = 0
    while !program.input.isExhausted, steps < 256 {
        program.step()
        steps += 1
    }
    program.checkRestore()
}
