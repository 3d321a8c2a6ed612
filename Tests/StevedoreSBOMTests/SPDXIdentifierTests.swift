import StevedoreSBOM
import Testing

struct SPDXIdentifierTests {
    @Test("sanitising keeps letters, digits, '.' and '-'", arguments: [
        ("/usr/lib/x86_64-linux-gnu/libz.so.1", "usr-lib-x86-64-linux-gnu-libz.so.1"),
        ("swift-nio", "swift-nio"),
        ("linux/arm64/v8", "linux-arm64-v8"),
        ("a  b__c", "a-b-c"),
        ("ünïcode", "n-code"),
        ("--x--", "x"),
    ])
    func sanitizes(_ input: String, _ expected: String) {
        #expect(SPDXIdentifier.sanitized(input) == expected)
    }

    @Test("identifiers are unique: a repeat gets -2, -3")
    func unique() {
        var ids = SPDXIdentifier()
        #expect(ids.allocate(["File", "a_b"]) == "SPDXRef-File-a-b")
        #expect(ids.allocate(["File", "a-b"]) == "SPDXRef-File-a-b-2")
        #expect(ids.allocate(["File", "a b"]) == "SPDXRef-File-a-b-3")
        #expect(ids.allocate(["DOCUMENT"]) == "SPDXRef-DOCUMENT-2")
    }
}
