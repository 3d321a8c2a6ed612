import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore` against a registry that misbehaves on purpose (issue 9): swapped sha512 content, stalled and
/// dripping bodies, absurd token lifetimes, a realm on another plain-HTTP host, an HTTPS→HTTP redirect and
/// escape sequences in errors. Each case ends with a specific error (or the right success) well within the
/// outer bound, never with a crash (exit code ≥ 128), and sends no credential where it does not belong.
@Suite(.serialized, .dedicatedThread)
struct HostileRegistryTests {
    /// The outer bound of one run: generous, so a busy machine does not make a test flaky; a run that hangs
    /// past `--timeout` still fails it.
    static let outerBound: TimeInterval = 90

    /// One case: a temporary directory, the misbehaving registry, and an isolated environment.
    final class Case {
        let directory: TemporaryDirectory
        let registry: MisbehavingRegistry

        init(_ mode: MisbehavingRegistry.Mode, certificates: Bool = false) throws {
            directory = try TemporaryDirectory("hostile")
            let made = certificates ? try RegistryCertificates(directory: directory.appending("certs")) : nil
            registry = try MisbehavingRegistry(directory: directory.appending("registry"), mode: mode, certificates: made)
            self.certificates = made
        }

        let certificates: RegistryCertificates?

        var environment: [String: String?] {
            [
                "HOME": directory.appending("home"),
                "DOCKER_CONFIG": directory.appending("home/.docker"),
                "REGISTRY_AUTH_FILE": nil, "XDG_RUNTIME_DIR": nil, "XDG_CONFIG_HOME": nil, "NETRC": nil,
                "GITHUB_TOKEN": nil, "STEVEDORE_REGISTRY_USERNAME": nil, "STEVEDORE_REGISTRY_PASSWORD": nil, "STEVEDORE_REGISTRY": nil,
                "SSL_CERT_FILE": nil, "STEVEDORE_CACHE_DIR": directory.appending("cache"), "CI": "1",
            ]
        }

        func stevedore(_ arguments: [String], stdin: String? = nil, environment extra: [String: String?] = [:]) throws -> ProcessResult {
            var env = environment
            for (key, value) in extra { env[key] = value }
            let result = try StevedoreBinary.run(arguments, environment: env, stdin: stdin, timeout: HostileRegistryTests.outerBound)
            #expect(!result.stderr.contains("[ProcessRunner: killed"), "stevedore ran past the outer bound:\n\(result.output)\n\(registry.log)")
            #expect(result.status < 128, "stevedore crashed (\(result.status)):\n\(result.output)")
            return result
        }

        func layout(_ name: String) -> String { "oci-layout:\(directory.appending(name))" }

        deinit { registry.stop() }
    }

    @Test("a manifest pinned by sha256 whose config descriptor says sha512: the swapped config is refused by pull, inspect and verify")
    func swappedSHA512Config() throws {
        let test = try Case(.swappedSHA512Config)
        let reference = "\(test.registry.address)/app@\(try test.registry.manifestDigest)"
        let pull = try test.stevedore(["pull", "--timeout", "20", reference, test.layout("pulled")])
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("when asked for sha512:"), "\(pull.output)")
        #expect(!FileManager.default.fileExists(atPath: test.directory.appending("pulled/blobs/sha512")), "a blob was stored under a digest it was not verified against")
        let inspect = try test.stevedore(["inspect", "--timeout", "20", reference])
        #expect(inspect.status != 0)
        #expect(!inspect.stdout.contains("/evil"), "\(inspect.output)")
        let verify = try test.stevedore(["verify", "--timeout", "20", reference])
        #expect(verify.status != 0, "verify accepted the swapped config:\n\(verify.output)")
        #expect(!verify.stdout.contains("OK"))
    }

    @Test("pull …@sha512:000… from a registry that answers anything fails with a digest mismatch")
    func sha512PinAgainstAnything() throws {
        let test = try Case(.answersAnything)
        let pin = "sha512:" + String(repeating: "0", count: 128)
        let pull = try test.stevedore(["pull", "--timeout", "20", "\(test.registry.address)/app@\(pin)", test.layout("pulled")])
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("digest"), "\(pull.output)")
    }

    @Test("half a blob, then silence: the idle timeout turns the stall into retries, and --timeout ends them")
    func stalledBodyIdle() throws {
        let test = try Case(.stalledBody)
        let pull = try test.stevedore(
            ["pull", "--timeout", "8", "\(test.registry.address)/app:latest", test.layout("pulled")],
            environment: ["STEVEDORE_REGISTRY_IDLE_TIMEOUT": "1"]
        )
        #expect(pull.status != 0)
        // Either the retries run out with the idle failure as last answer, or the deadline ends a stalled read.
        #expect(pull.stderr.contains("no byte from \(test.registry.address) for 1 s") || pull.stderr.contains("ran out while reading the answer to GET"), "\(pull.output)")
        #expect(pull.stderr.contains("sha256:e967"), "the error names the request:\n\(pull.output)")
        #expect(test.registry.log.components(separatedBy: "/blobs/sha256:e967").count > 2, "the stalled blob was retried:\n\(test.registry.log)")
    }

    @Test("half a blob, then silence, with the default idle timeout: --timeout still ends the read")
    func stalledBodyDeadline() throws {
        let test = try Case(.stalledBody)
        let pull = try test.stevedore(["pull", "--timeout", "6", "\(test.registry.address)/app:latest", test.layout("pulled")])
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("time bound of 6.0 s ran out"), "\(pull.output)")
        #expect(pull.stderr.contains(test.registry.address))
    }

    @Test("a body that drips a byte a second is ended by --timeout")
    func drippingBody() throws {
        let test = try Case(.drippingBody)
        let pull = try test.stevedore(["pull", "--timeout", "6", "\(test.registry.address)/app:latest", test.layout("pulled")])
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("time bound of 6.0 s ran out"), "\(pull.output)")
    }

    @Test("a body that drips a byte a second is slower than the minimum throughput: it is retried, then --timeout ends it")
    func drippingBodyIsTooSlow() throws {
        let test = try Case(.drippingBody)
        let pull = try test.stevedore(
            ["pull", "--timeout", "8", "\(test.registry.address)/app:latest", test.layout("pulled")],
            environment: ["STEVEDORE_REGISTRY_IDLE_TIMEOUT": "2"]
        )
        #expect(pull.status != 0 && pull.status < 128, "\(pull.output)")
        #expect(pull.stderr.contains("slower than 1024 bytes a second") || pull.stderr.contains("ran out while reading the answer to GET"), "\(pull.output)")
        #expect(test.registry.log.components(separatedBy: "/blobs/sha256:e967").count > 2, "the dripping blob was retried:\n\(test.registry.log)")
    }

    @Test("token lifetimes of 1e300 and -5 seconds are clamped, not a crash", arguments: [MisbehavingRegistry.Mode.hugeTokenLifetime, .negativeTokenLifetime])
    func absurdTokenLifetime(mode: MisbehavingRegistry.Mode) throws {
        let test = try Case(mode)
        let inspect = try test.stevedore(["inspect", "--timeout", "20", "\(test.registry.address)/app:latest"])
        #expect(inspect.status == 0, "\(inspect.output)\n\(test.registry.log)")
        #expect(test.registry.log.contains("auth=Bearer"))
    }

    @Test("a token realm on another host over plain HTTP gets no credentials")
    func plainRealmOnOtherHost() throws {
        let test = try Case(.plainRealmOnOtherHost)
        let pull = try test.stevedore(
            ["pull", "--timeout", "20", "--username", "someone", "--password-stdin", "\(test.registry.address)/app:latest", test.layout("pulled")],
            stdin: "hunter2\n"
        )
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("over plain HTTP; refusing"), "\(pull.output)")
        #expect(!test.registry.log.contains("Basic"), "\(test.registry.log)")
    }

    @Test("an HTTPS registry redirecting to plain HTTP on another host is refused")
    func redirectToPlainHTTP() throws {
        let test = try Case(.redirectToPlainHTTP, certificates: true)
        guard let certificates = test.certificates else { return }
        let inspect = try test.stevedore(["inspect", "--timeout", "20", "--ca-file", certificates.caCertificate, "\(test.registry.address)/app:latest"])
        #expect(inspect.status != 0)
        #expect(inspect.stderr.contains("from HTTPS to plain HTTP"), "\(inspect.output)\n\(test.registry.log)")
    }

    @Test("STEVEDORE_REGISTRY_USERNAME/PASSWORD are not offered to a registry that is only read from when the target is elsewhere")
    func environmentCredentialsStayWithTheirRegistry() throws {
        let test = try Case(.hugeTokenLifetime)
        let secrets: [String: String?] = ["STEVEDORE_REGISTRY_USERNAME": "corp-user", "STEVEDORE_REGISTRY_PASSWORD": "corp-secret"]
        let copy = try test.stevedore(["copy", "--timeout", "20", "\(test.registry.address)/app:latest", test.layout("copied")], environment: secrets)
        #expect(copy.status == 0, "\(copy.output)\n\(test.registry.log)")
        #expect(!test.registry.log.contains("Basic:"), "\(test.registry.log)")
        // Named by STEVEDORE_REGISTRY, the same registry gets them.
        let named = try test.stevedore(
            ["copy", "--timeout", "20", "\(test.registry.address)/app:latest", test.layout("named")],
            environment: secrets.merging(["STEVEDORE_REGISTRY": test.registry.address]) { $1 }
        )
        #expect(named.status == 0, "\(named.output)")
        #expect(test.registry.log.contains("auth=Basic:corp-user"), "\(test.registry.log)")
    }

    @Test("escape sequences in a registry's error text are not printed")
    func escapeSequences() throws {
        let test = try Case(.escapeSequences)
        let pull = try test.stevedore(["pull", "--timeout", "20", "\(test.registry.address)/app:latest", test.layout("pulled")])
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("EVIL"), "\(pull.output)")
        #expect(!pull.output.contains("\u{1b}"), "an escape sequence reached the terminal")
        #expect(!pull.output.contains("\u{07}"))
        #expect(!pull.stderr.contains("\nFORGED LINE"))
    }

    @Test("login to a registry that asks for no credentials says so, and sends none")
    func loginWithoutChallenge() throws {
        let test = try Case(.anonymous)
        let login = try test.stevedore(["login", test.registry.address, "--username", "someone", "--password-stdin"], stdin: "hunter2\n")
        #expect(login.status == 0, "\(login.output)")
        #expect(login.stdout.contains("needs no login"), "\(login.output)")
        #expect(!login.stdout.contains("Login Succeeded"))
        #expect(!test.registry.log.contains("Basic"), "\(test.registry.log)")
        #expect(!FileManager.default.fileExists(atPath: test.directory.appending("home/.docker/config.json")))
    }

    @Test("--verbose logs each request (method, URL without query, status) and never a header value")
    func verboseLogsRequests() throws {
        let test = try Case(.hugeTokenLifetime)
        let inspect = try test.stevedore(["inspect", "--verbose", "--timeout", "20", "\(test.registry.address)/app:latest"])
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.stderr.contains("GET http://\(test.registry.address)/v2/app/manifests/"), "\(inspect.stderr)")
        #expect(inspect.stderr.contains(" 200, "), "\(inspect.stderr)")
        #expect(inspect.stderr.contains("GET http://127.0.0.1:\(test.registry.port)/token 200"), "\(inspect.stderr)")
        #expect(!inspect.stderr.contains("good-token"))
        #expect(!inspect.stderr.contains("scope="))
    }

    @Test("--timeout of inf, nan or 1e10 is a usage error", arguments: ["inf", "nan", "1e10"])
    func absurdTimeout(value: String) throws {
        let test = try Case(.anonymous)
        let pull = try test.stevedore(["pull", "--timeout", value, "\(test.registry.address)/app:latest", test.layout("pulled")])
        #expect(pull.status != 0)
        #expect(pull.stderr.contains("--timeout"), "\(pull.output)")
        #expect(!test.registry.log.contains("GET"))
    }
}
