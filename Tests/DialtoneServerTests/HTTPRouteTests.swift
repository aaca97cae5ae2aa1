import DialtoneServer
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP routes")
struct HTTPRouteTests {
    var router: HTTPRouter {
        var router = HTTPRouter()
        router.add(.GET, "/hello") { request in
            .text(.ok, "hello \(request.query["name"] ?? "nobody")")
        }
        router.add(.POST, "/echo") { request in
            HTTPResponse(
                status: .created, headers: ["X-Length": String(request.body.readableBytes)], body: request.body)
        }
        return router
    }

    @Test func routesByMethodAndPathOnOneKeepAliveConnection() async throws {
        try await withServer(router) { port, _ in
            let client = try await TestClient(port: port)
            let hello = try await client.request("GET", "/hello?name=J%C3%BCrgen+X")
            #expect(hello.status == 200)
            #expect(hello.body == "hello Jürgen X")
            let echo = try await client.request("POST", "/echo", body: #"{"a":1}"#)
            #expect(echo.status == 201)
            #expect(echo.body == #"{"a":1}"#)
            #expect(echo.header("X-Length") == "7")
            let head = try await client.request("HEAD", "/hello")
            #expect(head.status == 200)
            await client.close()
        }
    }

    @Test func unknownPathsAndMethodsGetJSONErrors() async throws {
        try await withServer(router) { port, _ in
            let client = try await TestClient(port: port)
            let missing = try await client.request("GET", "/nope")
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(missing.body.contains("not_found"))
            let wrongMethod = try await client.request("DELETE", "/hello")
            #expect(wrongMethod.status == 405)
            await client.close()
        }
    }

    @Test func aBodyOverTheLimitGets413AndTheConnectionCloses() async throws {
        try await withServer(router, maxBodySize: 16) { port, _ in
            let announced = try await TestClient(port: port)
            let response = try await announced.request("POST", "/echo", body: String(repeating: "x", count: 17))
            #expect(response.status == 413)
            try await announced.waitForClose()

            // Chunked, so the size is only known while reading.
            let chunked = try await TestClient(port: port)
            try await chunked.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n")
            try await chunked.send("1\r\nx\r\n0\r\n\r\n")
            #expect(try await chunked.readResponse().status == 413)
            try await chunked.waitForClose()

            let exact = try await TestClient(port: port)
            #expect(try await exact.request("POST", "/echo", body: String(repeating: "x", count: 16)).status == 201)
            await exact.close()
        }
    }

    @Test func malformedHTTPGets400() async throws {
        try await withServer(router) { port, _ in
            let client = try await TestClient(port: port)
            try await client.send("NOT HTTP AT ALL\r\n\r\n")
            #expect(try await client.readResponse().status == 400)
            await client.close()
        }
    }
}
