import StevedoreBuild
import Testing
import StevedoreCore

struct ImageSettingsTests {
    @Test(arguments: [("A=1", "A", "1"), ("A=", "A", ""), ("URL=a=b", "URL", "a=b"), ("lower_case=x y", "lower_case", "x y")])
    func environment(text: String, name: String, value: String) throws {
        let variable = try EnvironmentVariable(parsing: text)
        #expect(variable.name == name)
        #expect(variable.value == value)
    }

    @Test(arguments: ["A", "=1", " A=1", ""])
    func invalidEnvironment(text: String) {
        #expect(throws: StevedoreError.self) { try EnvironmentVariable(parsing: text) }
    }

    @Test(arguments: [("80", "80/tcp"), ("8080/tcp", "8080/tcp"), ("53/udp", "53/udp"), ("9/SCTP", "9/sctp"), ("65535", "65535/tcp")])
    func ports(text: String, expected: String) throws {
        #expect(try ExposedPort(parsing: text).description == expected)
    }

    @Test(arguments: ["0", "65536", "http", "80/icmp", "80/tcp/x", ""])
    func invalidPorts(text: String) {
        #expect(throws: StevedoreError.self) { try ExposedPort(parsing: text) }
    }

    @Test(arguments: [("res:/srv", "res", "/srv"), ("a:b:/x/", "a:b", "/x/"), ("/abs/path:/opt/app", "/abs/path", "/opt/app")])
    func additions(text: String, source: String, destination: String) throws {
        let addition = try Addition(parsing: text)
        #expect(addition.source == source)
        #expect(addition.destination == destination)
    }

    @Test(arguments: ["res", "res:relative", ":/x"])
    func invalidAdditions(text: String) {
        #expect(throws: StevedoreError.self) { try Addition(parsing: text) }
    }

    @Test(arguments: [("SIGTERM", true), ("SIGRTMIN+3", true), ("15", true), ("TERM", false), ("99", false)])
    func stopSignals(signal: String, valid: Bool) {
        var settings = ImageSettings()
        settings.stopSignal = signal
        #expect((try? settings.validate()) != nil || !valid)
        #expect((try? settings.validate()) == nil || valid)
    }
}
