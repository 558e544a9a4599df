import AmpfixCore
import Testing

@Suite struct CatalogTests {
    @Test func allNineFaultsAreKnown() {
        #expect(FaultID.allCases.map(\.rawValue) == [5, 6, 7, 8, 9, 11, 16, 18, 19])
        #expect(FaultID.validList == "5, 6, 7, 8, 9, 11, 16, 18, 19")
    }

    @Test(arguments: Language.allCases)
    func everyEntryHasText(language: Language) {
        let entries = FaultCatalog.entries(language: language)
        #expect(entries.map(\.id) == FaultID.allCases)
        for entry in entries {
            #expect(!entry.title.isEmpty, "fault \(entry.id) title")
            #expect(!entry.condition.isEmpty, "fault \(entry.id) condition")
            #expect(!entry.resolution.isEmpty, "fault \(entry.id) resolution")
            #expect(entry.resolution.allSatisfy { !$0.isEmpty }, "fault \(entry.id) resolution step")
            #expect(entry.automaticRepairs.allSatisfy { !$0.isEmpty }, "fault \(entry.id) repair")
        }
    }

    @Test func chineseIsATranslationNotACopy() {
        for id in FaultID.allCases {
            let en = FaultCatalog.entry(id, language: .en)
            let zh = FaultCatalog.entry(id, language: .zh)
            #expect(en.title != zh.title)
            #expect(en.condition != zh.condition)
            #expect(en.resolution.count == zh.resolution.count, "fault \(id): same number of steps")
            #expect(en.automaticRepairs.count == zh.automaticRepairs.count, "fault \(id): same repairs")
            #expect(zh.title.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "fault \(id): Chinese title")
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
