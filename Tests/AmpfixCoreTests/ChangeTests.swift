import AmpfixCore
import Foundation
import Testing

/// Every kind of change as its own type: journals keep the shape every ampfix version wrote.
@Suite struct ChangeTests {
    /// Each kind as ampfix wrote it into journals when `Change` was an enum (7a787f7, encoded by
    /// that build with the journal's settings): a run journaled then must still be undone now.
    static let journaled = [
        #"{"directoryAttributes":{"after":{"gid":5,"mode":493,"uid":0},"before":{"gid":0,"mode":448,"uid":0},"path":"/opt/cisco"}}"#,
        #"{"createGroup":{"gid":7,"name":"g"}}"#,
        #"{"createGroup":{"name":"g"}}"#,
        #"{"createUser":{"_0":{"comment":"c","home":"/opt/cisco/amp","name":"cisco-amp-scan-svc","shell":"/usr/sbin/nologin"},"ownGroup":true}}"#,
        #"{"deleteUser":{"_0":{"comment":"c","home":"/opt/cisco/amp","name":"cisco-amp-scan-svc","shell":"/usr/sbin/nologin"},"alsoGroup":false,"made":["passwd:x"]}}"#,
        #"{"deleteUser":{"_0":{"comment":"c","home":"/opt/cisco/amp","name":"cisco-amp-scan-svc","shell":"/usr/sbin/nologin"},"alsoGroup":true}}"#,
        #"{"deleteGroup":{"name":"g"}}"#,
        #"{"setPrimaryGroup":{"after":{"name":{"_0":"g"}},"before":{"id":{"_0":3}},"user":"u"}}"#,
        #"{"restartService":{"unit":"cisco-amp"}}"#,
        #"{"replaceFile":{"after":{"bytes":"AQID"},"path":"/etc/x"}}"#,
        #"{"policyModule":{"after":{"content":{"bytes":"AQID"},"enabled":false,"languageExtension":"cil","priority":200},"before":{"enabled":true,"languageExtension":"cil","priority":200},"name":"m","store":"targeted"}}"#,
        #"{"installPackages":{"arguments":["install","-y"],"packages":["p"],"tool":"apt-get"}}"#,
        #"{"loadKernelModule":{"kernel":"6.1.0","name":"ampfsm"}}"#,
        #"{"reloadKernelModule":{"fallback":"/var/lib/ampfix/modules/x.ko","file":"B","kernel":"6.1.0","loaded":"A","name":"ampfsm"}}"#,
        #"{"moveFile":{"file":{"device":1,"inode":2,"modified":4,"size":3},"from":"/a","to":"/b"}}"#,
        // Since the DKMS builds of faults 8 and 9 (not in 7a787f7).
        #"{"loadKernelModule":{"built":true,"kernel":"6.1.0","name":"ampfsm"}}"#,
        #"{"unloadKernelModule":{"name":"ampfsm"}}"#,
        #"{"dkmsInstall":{"adds":true,"copyFrom":"/srv/ampfsm","kernel":"6.1.0","module":"ampfsm","version":"1.0","writesConf":true}}"#,
        #"{"dkmsRemove":{"all":true,"deleteSource":"/usr/src/ampfsm-1.0","kernel":"6.1.0","module":"ampfsm","version":"1.0"}}"#,
    ]

    static func journalEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test func journalsOfEveryKindReadAndWriteTheSameBytes() throws {
        var seen = Set<ChangeKind>()
        for line in Self.journaled {
            let change = try JSONDecoder().decode(Change.self, from: Data(line.utf8))
            seen.insert(change.kind)
            #expect(String(decoding: try Self.journalEncoder().encode(change), as: UTF8.self) == line)
        }
        #expect(seen == Set(ChangeKind.allCases), "a journal line for every kind")
    }

    @Test func theValuesAreTheOnesConstructed() throws {
        let account = ServiceAccount(name: "cisco-amp-scan-svc", home: "/opt/cisco/amp", shell: "/usr/sbin/nologin", comment: "c")
        let decoded = try Self.journaled.map { try JSONDecoder().decode(Change.self, from: Data($0.utf8)) }
        #expect(decoded[0] == .directoryAttributes(path: "/opt/cisco", before: DirectoryAttributes(mode: 0o700, uid: 0, gid: 0),
                                                  after: DirectoryAttributes(mode: 0o755, uid: 0, gid: 5)))
        #expect(decoded[3] == .createUser(account, ownGroup: true))
        #expect(decoded[4] == .deleteUser(account, alsoGroup: false, made: ["passwd:x"]))
        #expect(decoded[4] != .deleteUser(account, alsoGroup: false), "what was made is part of the change")
        #expect(decoded[3].inverse == .deleteUser(account, alsoGroup: true))
        #expect(decoded[3].inverse(made: ["passwd:x"]) == .deleteUser(account, alsoGroup: true, made: ["passwd:x"]))
        #expect(decoded[8] == .restartService(unit: "cisco-amp") && decoded[8].inverse == nil)
        #expect(decoded[8] != .loadKernelModule(name: "cisco-amp", kernel: ""), "changes of two kinds are never equal")
        #expect(decoded[14].as(MoveFileChange.self)?.to == "/b" && decoded[14].as(ReplaceFileChange.self) == nil)
        // A load of a build the run made with DKMS is undone (unloaded); the connector's own is not.
        #expect(decoded[15] == .loadKernelModule(name: "ampfsm", kernel: "6.1.0", built: true) && decoded[15].inverse == decoded[16])
        #expect(decoded[12].inverse == nil)
        #expect(decoded[17].inverse == decoded[18], "undo removes the version DKMS added and the copy ampfix made")
    }

    @Test func aKindAmpfixDoesNotKnowIsAnErrorThatNamesIt() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Change.self, from: Data(#"{"formatDisk":{"path":"/"}}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Change.self, from: Data(#"{"restartService":{"unit":"a"},"moveFile":{}}"#.utf8)) }
        #expect(ChangeKind(rawValue: "format-disk") == nil && ChangeKind(rawValue: "move-file") == .moveFile)
    }

    @Test func everyKindHasItsOwnNames() {
        let kinds = Change.kinds
        #expect(Set(kinds.map { $0.kind }).count == kinds.count)
        #expect(Set(kinds.map { $0.journalName }).count == kinds.count)
    }
}
