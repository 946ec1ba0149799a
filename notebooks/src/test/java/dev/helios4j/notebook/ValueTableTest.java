package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueTableTest {
    enum Field { MATHEMATICS }

    record City(String name, String country) { }

    record Person(String name, int born, Field field, City city, List<String> languages, Optional<String> nickname) { }

    private static final Person ADA = new Person("Ada <Lovelace>", 1815, Field.MATHEMATICS, new City("London", "UK"),
            List.of("English", "French"), Optional.empty());

    @Test
    void aRecordIsATableOfItsComponentsWithNestedRecordsAndListsInside() {
        Output out = ValueTable.of(ADA);
        assertEquals(Output.HTML, out.richMime());
        String td = "<td style=\"text-align:left\">";
        String th = "<tr><th style=\"text-align:left\">";
        assertEquals("<table>" + th + "name</th>" + td + "Ada &lt;Lovelace&gt;</td></tr>"
                + th + "born</th>" + td + "1815</td></tr>"
                + th + "field</th>" + td + "MATHEMATICS</td></tr>"
                + th + "city</th>" + td + "<table>" + th + "name</th>" + td + "London</td></tr>"
                + th + "country</th>" + td + "UK</td></tr></table></td></tr>"
                + th + "languages</th>" + td + "<ul><li>English</li><li>French</li></ul></td></tr>"
                + th + "nickname</th>" + td + "\u2014</td></tr></table>", out.rich());
        assertEquals("""
                name: Ada <Lovelace>
                born: 1815
                field: MATHEMATICS
                city:
                  name: London
                  country: UK
                languages:
                  - English
                  - French
                nickname: \u2014""", out.plain());
    }

    @Test
    void aListOfRecordsIsOneRowPerElement() {
        Output out = ValueTable.of(List.of(new City("London", "UK"), new City("Paris", "France")));
        String td = "<td style=\"text-align:left\">";
        assertEquals("<table><tr><th style=\"text-align:left\">name</th><th style=\"text-align:left\">country</th></tr>"
                + "<tr>" + td + "London</td>" + td + "UK</td></tr><tr>" + td + "Paris</td>" + td + "France</td></tr>"
                + "</table>", out.rich());
        assertEquals("- name: London\n  country: UK\n- name: Paris\n  country: France", out.plain());
    }

    @Test
    void arraysAndPlainValuesShowAsListsAndText() {
        assertEquals("<ul><li>MATHEMATICS</li></ul>", ValueTable.of(new Field[] {Field.MATHEMATICS}).rich());
        assertEquals("42", ValueTable.of(42).plain());
        assertEquals("\u2014", ValueTable.of(null).rich());
    }
}
