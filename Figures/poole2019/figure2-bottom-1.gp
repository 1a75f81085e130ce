# figure2-bottom-1.gp: figure "004 Figure 2 (bottom): the same after y -> (W y)^3", drawn by MIPlot; its data is figure2-bottom-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot figure2-bottom-1.gp                       writes figure2-bottom-1.svg
#   gnuplot -e 'format="png"' figure2-bottom-1.gp     writes figure2-bottom-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' figure2-bottom-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' figure2-bottom-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'figure2-bottom-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1600,600 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1600,600 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 16in,6in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'figure2-bottom-1.dat'
set multiplot layout 2,4 rowsfirst title '004 Figure 2 (bottom): the same after y -> (W y)^3' font ',13'

# Panel 1 (row 1, column 1): nwj
reset
set title 'nwj'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 1 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 2 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 3 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 4 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI'

# Panel 2 (row 1, column 2): js
reset
set title 'js'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 5 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 6 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 7 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 8 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 9 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI'

# Panel 3 (row 1, column 3): nce
reset
set title 'nce'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 10 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 11 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 12 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 13 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 14 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    4.1588830833596715 with lines lc rgb '#000000' lw 1.5 dt 2 title 'log K = 4.159'

# Panel 4 (row 1, column 4): tuba
reset
set title 'tuba'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 15 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 16 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 17 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 18 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 19 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI'

# Panel 5 (row 2, column 1): alpha(0.01)
reset
set title 'alpha(0.01)'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 20 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 21 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 22 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 23 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 24 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    9.764053269347762 with lines lc rgb '#000000' lw 1.5 dt 2 title '1 + log(K/α) = 9.764'

# Panel 6 (row 2, column 2): alpha(0.5)
reset
set title 'alpha(0.5)'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 25 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 26 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 27 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 28 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 29 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    5.852030263919617 with lines lc rgb '#000000' lw 1.5 dt 2 title '1 + log(K/α) = 5.852'

# Panel 7 (row 2, column 3): alpha(0.99)
reset
set title 'alpha(0.99)'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set yrange [-2:14]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 30 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 31 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 32 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'separable', \
    data index 33 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'concat', \
    data index 34 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    5.1689334192131735 with lines lc rgb '#000000' lw 1.5 dt 2 title '1 + log(K/α) = 5.169'

unset multiplot
unset output
