#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// "Connection refused (errno 111)": the text a person understands and the number to search for.
func errnoDescription(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
