package io.eventlens.app.ui;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** STYLE.md habit 1: core never sees JavaFX; habit 2: views never call the store or capture directly. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.eventlens");

    @Test
    void coreDoesNotDependOnJavaFx() {
        noClasses().that().resideInAPackage("io.eventlens.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.controlsfx..")
                .because("core is UI-free so the CLI and the desktop app share it (STYLE.md habit 1)")
                .check(CLASSES);
    }

    @Test
    void viewsDoNotTouchTheStoreOrKafkaDirectly() {
        noClasses().that().resideInAPackage("io.eventlens.app.ui..")
                .and().haveSimpleNameEndingWith("View")
                .should().dependOnClassesThat().resideInAnyPackage("io.eventlens.core.store..", "io.eventlens.core.kafka..")
                .because("only view models access core services (STYLE.md habit 2)")
                .check(CLASSES);
    }
}
