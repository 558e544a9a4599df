import AmpfixCore
import Testing

@Suite struct CatalogTests {
    @Test func theKnownFaultsAreTheRegistrysInOrder() {
        let ids = FaultRegistry.standard.ids
        #expect(!ids.isEmpty && FaultID.allCases == ids)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.rawValue < $1.rawValue }, "ascending, each once")
        #expect(FaultID.validList == ids.map { String($0.rawValue) }.joined(separator: ", "))
        // A number parses (command line, JSON) exactly when the registry holds it.
        for number in -1...100 {
            #expect((FaultID(rawValue: number) != nil) == ids.contains { $0.rawValue == number }, "fault \(number)")
        }
    }

    @Test func aFaultRepairsExactlyWhenItsTextsSayWhat() {
        for definition in FaultRegistry.standard.definitions {
            #expect(definition.repairs == !definition.english.automaticRepairs.isEmpty, "fault \(definition.id)")
        }
    }

    /// (Their translations: `scripts/po.sh check` and TranslationTests.)
    @Test func everyEntryHasText() {
        let entries = FaultRegistry.standard.entries()
        #expect(entries.map(\.id) == FaultID.allCases)
        for entry in entries {
            #expect(!entry.title.isEmpty, "fault \(entry.id) title")
            #expect(!entry.condition.isEmpty, "fault \(entry.id) condition")
            #expect(!entry.resolution.isEmpty, "fault \(entry.id) resolution")
            #expect(entry.resolution.allSatisfy { !$0.isEmpty }, "fault \(entry.id) resolution step")
            #expect(entry.automaticRepairs.allSatisfy { !$0.isEmpty }, "fault \(entry.id) repair")
        }
    }

    @Test func languageComesFromTheLocale() {
        #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.fromEnvironment(["LANG": "en_US.UTF-8"]) == .en)
        #expect(Language.fromEnvironment([:]) == .en)
        #expect(Language.fromEnvironment(["LC_ALL": "C", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LC_ALL": "", "LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"]) == .zh)
    }
}
