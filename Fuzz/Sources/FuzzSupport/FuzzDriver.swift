@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer calls a C function without context, so the one target body lives here.
nonisolated(unsafe) private var currentTarget: ((UnsafeRawBufferPointer) -> Void)?

/// Hands the process to libFuzzer (its usual flags and corpus directories come from the command
/// line) with `body` as the test of one input.
///
/// SwiftPM links each executable with its own entry point in place of `main`, so libFuzzer's
/// `main` cannot be used; `LLVMFuzzerRunDriver` is libFuzzer's documented entry for this case.
public func runFuzzer(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    currentTarget = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        currentTarget?(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
    exit(status)
}

/// A broken invariant: a crash, which libFuzzer reports with the input that caused it.
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard !condition() else { return }
    fatalError("invariant broken: \(message())", file: file, line: line)
}

@_silgen_name("exit")
private func exit(_ status: CInt) -> Never
